import type { ImportSummary } from './plan-import.js';

/** What the operator reads after an import or a dry run. */
export function formatSummary(fileName: string, summary: ImportSummary, dryRun: boolean): string {
  const counts = [
    `created ${summary.created}`,
    `updated ${summary.updated}`,
    `deactivated ${summary.deactivated}`,
    `reactivated ${summary.reactivated}`,
    `unchanged ${summary.unchanged}`,
    `units created ${summary.unitsCreated.length}`,
    `unit heads changed ${summary.unitHeadsChanged}`,
    `locations created ${summary.locationsCreated.length}`,
  ].join(', ');
  const lines = [
    dryRun
      ? `Dry run of ${fileName}, nothing was written. The import would change: ${counts}.`
      : `Imported ${fileName}: ${counts}.`,
  ];
  if (summary.unitsCreated.length > 0) lines.push(`  New org units: ${list(summary.unitsCreated)}`);
  if (summary.locationsCreated.length > 0) {
    lines.push(
      `  New locations (kind "other", no address; complete them with the admin API): ${list(summary.locationsCreated)}`,
    );
  }
  if (summary.deactivatedMissing.length > 0) {
    lines.push(`  Deactivated as not in the file: ${list(summary.deactivatedMissing)}`);
  }
  return lines.join('\n');
}

/** Every problem on its own line, in file order. */
function list(items: readonly string[], shown = 50): string {
  const more = items.length - shown;
  return items.slice(0, shown).join(', ') + (more > 0 ? `, and ${more} more` : '');
}
