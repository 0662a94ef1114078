/**
 * Who is looking at the customer pages and what they may do there. The pages ask one
 * question — may this viewer edit customers? — so a permission model slots in here
 * without the pages changing.
 */
export interface Viewer {
  /** e-mail or name */
  name: string;
  /** the viewer's role, when the workbook names roles */
  role?: string;
}

export interface CustomerAccess {
  canView: boolean;
  /** shows the edit links (编辑客户, 新建订单, 记录跟进 …) */
  canEdit: boolean;
}

export type AccessPolicy = (viewer: Viewer, customer?: { owner: string }) => CustomerAccess;

/** Local mode: the one person holding the token may do everything. */
export const EVERYONE_EDITS: AccessPolicy = () => ({ canView: true, canEdit: true });
