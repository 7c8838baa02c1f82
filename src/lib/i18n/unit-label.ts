import { m } from '$lib/paraglide/messages';
import type { UnitType } from '$lib/shared/roles';
import { measureTypes } from '$lib/shared/blocks';
import { sectors } from '$lib/shared/schemas';

const unitTypes: Record<UnitType, () => string> = {
	建设: m.unit_type_owner,
	勘察: m.unit_type_survey,
	设计: m.unit_type_design,
	施工: m.unit_type_construction,
	监理: m.unit_type_supervision,
	咨询: m.unit_type_consulting,
	审计: m.unit_type_audit,
	地方政府: m.unit_type_local_government,
	行业主管: m.unit_type_authority,
	综合部门: m.unit_type_comprehensive,
	督查: m.unit_type_inspection,
	专家: m.unit_type_expert
};
const sectorNames: Record<(typeof sectors)[number], () => string> = { 交通: m.sector_transport, 水利: m.sector_water, 能源: m.sector_energy, 市政: m.sector_municipal };

/** A unit type (stored in Chinese, as the attendee lists write it) in the UI's language; any other text as it is. */
export const unitTypeLabel = (t: string) => (Object.hasOwn(unitTypes, t) ? unitTypes[t as UnitType]() : t);

/** A sector of domain.md §5.2 in the UI's language; a free-text sector as it is. */
export const sectorLabel = (s: string) => (Object.hasOwn(sectorNames, s) ? sectorNames[s as (typeof sectors)[number]]() : s);

const measureTypeNames: Record<(typeof measureTypes)[number], () => string> = {
	立行立改: m.measure_type_immediate,
	限期整改: m.measure_type_deadline,
	分阶段整改: m.measure_type_phased,
	持续整改: m.measure_type_ongoing
};

/** A measure's 整改类型 (stored in Chinese, as the minutes print it) in the UI's language; any other text as it is. */
export const measureTypeLabel = (t: string) => (Object.hasOwn(measureTypeNames, t) ? measureTypeNames[t as (typeof measureTypes)[number]]() : t);
