import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { LeaseStore } from './types.js';

/** Leases on the Kysely query layer: one conditional upsert decides who holds one. */
export function sqlLeaseStore(db: Kysely<Database>): LeaseStore {
	return {
		async take(name, holder, now, until) {
			const res = await db
				.insertInto('leases')
				.values({ name, holder, until })
				.onConflict((oc) =>
					oc
						.column('name')
						.doUpdateSet({ holder, until })
						.where((eb) => eb.or([eb('leases.until', '<=', now), eb('leases.holder', '=', holder)]))
				)
				.executeTakeFirst();
			return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
		},
		async release(name, holder) {
			await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
		},
		async releaseAll() {
			await db.deleteFrom('leases').execute();
		}
	};
}
