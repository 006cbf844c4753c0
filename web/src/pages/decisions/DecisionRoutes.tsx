// Placeholder until this page is built: the route exists so links and reloads land somewhere.
import { Page } from '../../ui/Page.js';

export default function DecisionRoutes() {
  return (
    <Page title="decisions">
      <p>This page is not built yet.</p>
    </Page>
  );
}
