// The audit log at /audit, for those who may read it (audit.read: administrators, program
// managers, analysts). Anyone else is told so; the API refuses them too (403).
import { Route, Routes } from 'react-router';
import { useSession } from '../../session.js';
import { Page } from '../../ui/Page.js';
import { AuditPage } from './AuditPage.js';
import './audit.css';

export default function AuditRoutes() {
  const { can } = useSession();
  if (!can('audit.read'))
    return (
      <Page title="Audit log">
        <div className="status" role="status">
          <p className="audit-refused">
            You may not read the audit log. It is open to administrators, program managers and
            analysts; ask one of them if you need to know who changed a record, and when.
          </p>
        </div>
      </Page>
    );
  return (
    <Routes>
      <Route index element={<AuditPage />} />
      <Route path="*" element={<AuditPage />} />
    </Routes>
  );
}
