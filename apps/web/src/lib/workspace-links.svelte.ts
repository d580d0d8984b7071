import { WORKSPACE_LINKS, type WorkspaceRole } from './link-kinds';
import { LinkList } from './link-list.svelte';
import { WORKSPACE_LINKS_PATH, type ManagedLink } from './links-api';

export type WorkspaceLinkRecord = ManagedLink<WorkspaceRole>;

/**
 * The workspace's links, for a workspace admin (the library's "Workspace links"). A member's
 * link is refused them (403): then there is nothing to offer, and nothing to say about it.
 */
export class WorkspaceLinks extends LinkList<WorkspaceRole> {
  constructor(token: string, send?: typeof fetch) {
    super({ path: WORKSPACE_LINKS_PATH, kind: WORKSPACE_LINKS }, token, 'the workspace’s links', send);
  }

  /** Unknown until the server first answers; false for a member's link. */
  get available(): boolean | null {
    if (this.loaded) return true;
    return this.refused ? false : null;
  }
}
