import type { Database } from '../db/database.js';

/** Whether person $1 has a socket on a live instance other than $2 (stale after $3 seconds). */
const onlineElsewhere = `EXISTS (
  SELECT 1 FROM live_presence p JOIN live_instances i ON i.id = p.instance_id
   WHERE p.person_id = $1 AND p.instance_id <> $2
     AND i.heartbeat_at >= now() - make_interval(secs => $3::double precision))`;

/**
 * Who is online across all server instances: each instance records the people with a live socket
 * on it and beats its heartbeat; people whose only instance stopped beating count as offline.
 * Answers whether a connect or disconnect changed someone's presence for everyone.
 */
export class PresenceRegistry {
  private readonly staleAfterSeconds: number;

  constructor(
    private readonly db: Database,
    readonly instanceId: string,
    staleAfterMs: number,
  ) {
    this.staleAfterSeconds = staleAfterMs / 1000;
  }

  /** Registers this instance and forgets instances that died without saying goodbye. */
  async start(): Promise<void> {
    await this.db.query(
      'DELETE FROM live_instances WHERE heartbeat_at < now() - make_interval(secs => $1::double precision)',
      [this.staleAfterSeconds],
    );
    await this.db.query('INSERT INTO live_instances (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [
      this.instanceId,
    ]);
  }

  async beat(): Promise<void> {
    await this.db.query('UPDATE live_instances SET heartbeat_at = now() WHERE id = $1', [this.instanceId]);
  }

  /** Removes this instance's people (shutdown): they are offline unless connected elsewhere. */
  async stop(): Promise<void> {
    await this.db.query('DELETE FROM live_instances WHERE id = $1', [this.instanceId]);
  }

  /** The person's first socket on this instance: true when they were offline everywhere before. */
  async connected(personId: string): Promise<boolean> {
    // One statement per connect (a reconnect storm brings thousands): the insert and the look
    // at the other instances see the same snapshot, as in a transaction.
    const [row] = await this.db.query<{ elsewhere: boolean }>(
      `WITH here AS (
         INSERT INTO live_presence (person_id, instance_id) VALUES ($1, $2) ON CONFLICT DO NOTHING)
       SELECT ${onlineElsewhere} AS elsewhere`,
      [personId, this.instanceId, this.staleAfterSeconds],
    );
    return !row?.elsewhere;
  }

  /** The person's last socket on this instance closed: true when they are now offline everywhere. */
  async disconnected(personId: string): Promise<boolean> {
    const [row] = await this.db.query<{ elsewhere: boolean }>(
      `WITH gone AS (DELETE FROM live_presence WHERE person_id = $1 AND instance_id = $2)
       SELECT ${onlineElsewhere} AS elsewhere`,
      [personId, this.instanceId, this.staleAfterSeconds],
    );
    return !row?.elsewhere;
  }

  /** Of these people, the ones online on any live instance. */
  async onlineAmong(personIds: readonly string[]): Promise<Set<string>> {
    if (personIds.length === 0) return new Set();
    const rows = await this.db.query<{ person_id: string }>(
      `SELECT DISTINCT p.person_id FROM live_presence p
         JOIN live_instances i ON i.id = p.instance_id
        WHERE p.person_id = ANY($1::uuid[])
          AND i.heartbeat_at >= now() - make_interval(secs => $2::double precision)`,
      [personIds, this.staleAfterSeconds],
    );
    return new Set(rows.map((row) => row.person_id));
  }
}
