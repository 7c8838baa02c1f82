import { m } from '$lib/paraglide/messages';

/** "张伟（甲省交通运输厅）" / "Zhang Wei (…)"; the name alone without a unit. */
export const personText = (name: string, unit: string | undefined) => (unit ? m.person_with_unit({ name, unit }) : name);
