// Entry point: mounts the Attaché UI into #root, with the browser's address as the router's.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { createApi } from './api/client.js';
import { App } from './App.js';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

// The server that served this page answers its API too.
const api = createApi({ baseUrl: window.location.origin, cookies: () => document.cookie });

createRoot(root).render(
  <StrictMode>
    <BrowserRouter>
      <App api={api} />
    </BrowserRouter>
  </StrictMode>,
);
