import { type BrandColorProblem, type BrandingSettings, brandPalette } from '@flurfunk/protocol';

/** Rounded down, so a colour that just fails never reads as if it reached the ratio it needs. */
const ratioText = (ratio: number) => `${(Math.floor(ratio * 10) / 10).toFixed(1)}:1`;
const requiredText = (ratio: number) => `${Number.isInteger(ratio) ? ratio : ratio.toFixed(1)}:1`;

/** Why the server refuses a colour, and the nearest one it would take, in plain words. */
export function describeColorProblem(problem: BrandColorProblem): string {
  const found = `has a contrast of ${ratioText(problem.ratio)}`;
  const fix = `A darker shade such as ${problem.suggestion} passes.`;
  if (problem.field === 'primaryColor') {
    return `Primary colour ${problem.color} ${found} against white text and light backgrounds; WCAG AA needs ${requiredText(problem.required)}. ${fix}`;
  }
  return `Accent colour ${problem.color} ${found} against white surfaces; WCAG AA needs ${requiredText(problem.required)} for controls and graphics. ${fix}`;
}

/** The colours' problems as the issues of a refused request, each at its field. */
export function colorIssues(settings: BrandingSettings): { path: string; message: string }[] {
  return brandPalette(settings).problems.map((problem) => ({
    path: problem.field,
    message: describeColorProblem(problem),
  }));
}
