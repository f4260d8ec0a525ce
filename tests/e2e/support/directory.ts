import { DirectoryPage, TokenResponse, type Person } from '@flurfunk/protocol';

/** Reads the whole directory from the server's API, as an admin tool would, to pick test subjects. */
export async function serverDirectory(serverUrl: string): Promise<Person[]> {
  const login = await fetch(`${serverUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'flurfunk-demo', deviceName: 'e2e test setup' }),
  });
  const { accessToken } = TokenResponse.parse(await login.json());
  const people: Person[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '500', ...(cursor === null ? {} : { cursor }) });
    const res = await fetch(`${serverUrl}/api/v1/directory?${query}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const page = DirectoryPage.parse(await res.json());
    people.push(...page.people);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return people;
}
