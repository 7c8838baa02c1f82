/** Conference roles (domain.md §5.3). */
export const roles = ['organizer', 'moderator', 'participant', 'expert', 'supervisor', 'observer'] as const;
export type Role = (typeof roles)[number];

/** The roles' official names, as records that outlive the UI's language write them (the audit log, exports). */
export const roleTitles: Record<Role, string> = {
	organizer: '主办方',
	moderator: '分组召集人',
	participant: '参会单位代表',
	expert: '专家',
	supervisor: '督查',
	observer: '远程列席'
};

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
