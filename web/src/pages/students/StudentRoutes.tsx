// Students (DESIGN §4.3): find a student by any spelling of the name or by unit, and clear them for
// travel on their page: the gate checklist of each seat, the screenings, the travel order, the
// school's reports and the 2347g record.
import { Route, Routes } from 'react-router';
import { StudentPage } from './StudentPage.js';
import { StudentSearchPage } from './StudentSearchPage.js';
import './students.css';

export default function StudentRoutes() {
  return (
    <Routes>
      <Route index element={<StudentSearchPage />} />
      <Route path=":id" element={<StudentPage />} />
    </Routes>
  );
}
