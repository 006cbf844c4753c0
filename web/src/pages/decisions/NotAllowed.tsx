// What someone who may not record decisions sees instead of a form.
import { Link } from 'react-router';

export function NotAllowed() {
  return (
    <div className="notice" role="status" data-testid="not-allowed">
      <p>
        <strong>You may not record decisions.</strong> Recording, correcting and ending restrictions
        and reliefs is for program managers and administrators; the server refuses anyone else.
      </p>
      <p>
        A country&rsquo;s restrictions and what they did to seats are on its page:{' '}
        <Link to="/countries">see the countries</Link>.
      </p>
    </div>
  );
}
