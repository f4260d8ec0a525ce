/** The calendar day of `date` in the user's time zone, `YYYY-MM-DD`: what "today" means to them. */
export function localDate(date: Date = new Date()): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}
