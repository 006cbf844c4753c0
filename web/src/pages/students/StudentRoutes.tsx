// Placeholder until this page is built: the route exists so links and reloads land somewhere.
import { Page } from '../../ui/Page.js';

export default function StudentRoutes() {
  return (
    <Page title="students">
      <p>This page is not built yet.</p>
    </Page>
  );
}
