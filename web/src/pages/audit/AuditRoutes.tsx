// Placeholder until this page is built: the route exists so links and reloads land somewhere.
import { Page } from '../../ui/Page.js';

export default function AuditRoutes() {
  return (
    <Page title="audit">
      <p>This page is not built yet.</p>
    </Page>
  );
}
