// The country page (/countries/:iso3): what is in force today, why a program is or is not eligible
// on a date (as known now or as known on an earlier day), the record over time, allocations and
// the training list. Its state lives in the address, so an explanation can be shared.
import { Link, Route, Routes, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/query.js';
import { useApiQuery } from '../../api/query.js';
import { load } from '../../api/client.js';
import { today } from '../../format.js';
import { useSession } from '../../session.js';
import { Page } from '../../ui/Page.js';
import { Failure, Loading } from '../../ui/Status.js';
import type { CountryDetail } from './api.js';
import { AllocationSection } from './AllocationSection.js';
import { CountryHeader } from './CountryHeader.js';
import { ExplainPanel } from './ExplainPanel.js';
import { TimelineSection } from './TimelineSection.js';
import { TrainingSection } from './TrainingSection.js';
import { questionOf } from './state.js';
import './country.css';

export default function CountryRoutes() {
  return (
    <Routes>
      <Route index element={<CountryPage />} />
      <Route path="*" element={<CountryPage />} />
    </Routes>
  );
}

function CountryPage() {
  const { api } = useSession();
  const iso3 = (useParams().iso3 ?? '').toUpperCase();
  const country = useApiQuery(['country', iso3], (signal) =>
    load(api.http.GET('/api/v1/countries/{iso3}', { params: { path: { iso3 } }, signal }), signal),
  );
  if (country.isPending)
    return (
      <Page title={`Country ${iso3}`}>
        <Loading what={`country ${iso3}`} />
      </Page>
    );
  if (country.isError) {
    if (country.error instanceof ApiError && country.error.status === 404)
      return (
        <Page title="Country not found">
          <div className="status error" role="alert" data-testid="country-not-found">
            <p>Not found: there is no country {iso3}, or it is outside what you may see.</p>
          </div>
          <p>
            <Link to="/countries">Back to the list of countries</Link>
          </p>
        </Page>
      );
    return (
      <Page title={`Country ${iso3}`}>
        <Failure error={country.error} onRetry={() => void country.refetch()} />
      </Page>
    );
  }
  return <CountryView country={country.data} />;
}

function CountryView({ country }: { readonly country: CountryDetail }) {
  const { can } = useSession();
  const [params] = useSearchParams();
  const question = questionOf(params, today());
  return (
    <Page
      title={country.name}
      actions={
        can('restrictions.write') ? (
          <Link className="country-action" to={`/decisions/new?country=${country.iso3}`}>
            Record a decision
          </Link>
        ) : undefined
      }
    >
      <CountryHeader country={country} />
      <ExplainPanel country={country} question={question} />
      <TimelineSection country={country} question={question} />
      <AllocationSection country={country} />
      <TrainingSection country={country} />
    </Page>
  );
}
