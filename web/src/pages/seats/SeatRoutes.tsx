// The seats board at /seats (filters in the address) and one seat at /seats/:id.
import { Route, Routes } from 'react-router';
import SeatBoardPage from './SeatBoardPage.js';
import SeatDetailPage from './SeatDetailPage.js';
import './seats.css';

export default function SeatRoutes() {
  return (
    <Routes>
      <Route index element={<SeatBoardPage />} />
      <Route path=":id" element={<SeatDetailPage />} />
    </Routes>
  );
}
