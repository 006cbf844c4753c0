// The decisions area: a country's restrictions and reliefs, recording a restriction, and one
// restriction with its versions, reliefs, impact and the forms to change it.
import { Route, Routes } from 'react-router';
import { Page } from '../../ui/Page.js';
import DecisionsPage from './DecisionsPage.js';
import NewRestrictionPage from './NewRestrictionPage.js';
import RestrictionPage from './RestrictionPage.js';
import './decisions.css';

export default function DecisionRoutes() {
  return (
    <Routes>
      <Route index element={<DecisionsPage />} />
      <Route path="new" element={<NewRestrictionPage />} />
      <Route path="restrictions/:id" element={<RestrictionPage />} />
      <Route
        path="*"
        element={
          <Page title="Page not found">
            <p>There is no decisions page at this address.</p>
          </Page>
        }
      />
    </Routes>
  );
}
