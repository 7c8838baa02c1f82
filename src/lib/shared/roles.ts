/** Conference roles (domain.md §5.3). */
export const roles = ['organizer', 'moderator', 'participant', 'expert', 'supervisor', 'observer'] as const;
export type Role = (typeof roles)[number];

/** Unit types shown beside every member's name. */
export const unitTypes = [
	'建设',
	'勘察',
	'设计',
	'施工',
	'监理',
	'咨询',
	'审计',
	'地方政府',
	'行业主管',
	'综合部门',
	'督查',
	'专家'
] as const;
export type UnitType = (typeof unitTypes)[number];
