-- Attaché beyond one database: distributing the record over a Citus cluster by country
-- (decision 020). Run on the coordinator, once, on a database at the latest migration, in one
-- transaction:   psql "$DATABASE_URL" --single-transaction -v ON_ERROR_STOP=1 -f distribute.sql
--
-- 1. Every table that belongs to one country gets the country's column (`country_iso3`), filled
--    from the row it hangs from: a seat from its training line, a screening from its student…
-- 2. Its primary key, its unique indexes and its foreign keys to other such tables gain the
--    column: Citus enforces a uniqueness or a reference only inside one country's shard.
-- 3. Each table is declared: distributed by country (colocated: one country's rows of every table
--    on one node), a reference table (copied to every node: the catalogue, the programs, the
--    accounts), or a table of the coordinator alone (the audit chain, the change log, the jobs,
--    the sessions: one sequence, or one writer, for the whole record).
--
-- The test suite runs this script on PostgreSQL with the checks Citus makes (test/store/
-- citus-simulation.test.ts, with scripts/citus/simulate.sql standing in for the extension).

-- 1. The country on every row of a country's table.
do $$
declare
  child record;
begin
  -- (table, the column naming its parent, the parent table), parents before their children.
  for child in
    select * from (values
      (1, 'restriction_versions', 'restriction_id', 'restrictions'),
      (2, 'reliefs', 'restriction_id', 'restrictions'),
      (3, 'relief_versions', 'relief_id', 'reliefs'),
      (4, 'seats', 'line_id', 'training_lines'),
      (5, 'nominations', 'student_id', 'students'),
      (6, 'screenings', 'student_id', 'students'),
      (7, 'school_events', 'student_id', 'students'),
      (8, 'training_records', 'student_id', 'students'),
      (9, 'travel_orders', 'student_id', 'students'),
      (10, 'career_positions', 'student_id', 'students'),
      (11, 'human_rights_findings', 'student_id', 'students')
    ) as t(ord, tab, via, parent) order by ord
  loop
    execute format('alter table %I add column country_iso3 text', child.tab);
    -- Filling a new column changes no fact: the append-only guards and the change log's
    -- triggers stay out of it.
    execute format('alter table %I disable trigger user', child.tab);
    execute format(
      'update %I c set country_iso3 = p.country_iso3 from %I p where p.id = c.%I',
      child.tab, child.parent, child.via);
    execute format('alter table %I enable trigger user', child.tab);
    execute format('alter table %I alter column country_iso3 set not null', child.tab);
    execute format(
      'alter table %I add foreign key (country_iso3) references countries (iso3)', child.tab);
  end loop;
end $$;

-- The tables distributed by country, in one colocation group.
create temporary table distributed_by_country (tab text primary key) on commit drop;
insert into distributed_by_country values
  ('restrictions'), ('restriction_versions'), ('restriction_spans'), ('reliefs'),
  ('relief_versions'), ('congressional_notifications'), ('allocations'), ('training_lines'),
  ('seats'), ('students'), ('nominations'), ('screenings'), ('unit_vettings'),
  ('english_exemptions'), ('school_events'), ('training_records'), ('travel_orders'),
  ('career_positions'), ('human_rights_findings'), ('committee_requests');

-- 2. Keys with the country. Foreign keys between two distributed tables are dropped first (they
--    lean on the keys being changed), then made again with the country on both sides.
create temporary table dropped_references (tab text, name text, cols text[], parent text, parent_cols text[], rule text) on commit drop;
do $$
declare
  fk record;
  key record;
  idx record;
begin
  for fk in
    select c.conname, c.conrelid::regclass::text as tab, c.confrelid::regclass::text as parent,
           array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i)
                 join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as cols,
           array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i)
                 join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) as parent_cols,
           case c.confdeltype when 'c' then ' on delete cascade' else '' end as rule
    from pg_constraint c
    where c.contype = 'f'
      and c.conrelid::regclass::text in (select tab from distributed_by_country)
      and c.confrelid::regclass::text in (select tab from distributed_by_country)
  loop
    insert into dropped_references values (fk.tab, fk.conname, fk.cols, fk.parent, fk.parent_cols, fk.rule);
    execute format('alter table %I drop constraint %I', fk.tab, fk.conname);
  end loop;

  for key in
    select c.conname, c.contype, c.conrelid::regclass::text as tab,
           array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i)
                 join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as cols
    from pg_constraint c
    where c.contype in ('p', 'u') and c.conrelid::regclass::text in (select tab from distributed_by_country)
  loop
    if not 'country_iso3' = any (key.cols) then
      execute format('alter table %I drop constraint %I', key.tab, key.conname);
      execute format('alter table %I add constraint %I %s (%s)', key.tab, key.conname,
        case key.contype when 'p' then 'primary key' else 'unique' end,
        (select string_agg(quote_ident(col), ', ') from unnest('{country_iso3}'::text[] || key.cols) col));
    end if;
  end loop;

  -- Unique indexes (partial ones included) lead with the country.
  for idx in
    select i.indexrelid::regclass::text as name, i.indrelid::regclass::text as tab,
           pg_get_indexdef(i.indexrelid) as def
    from pg_index i
    where i.indisunique and not i.indisprimary
      and i.indrelid::regclass::text in (select tab from distributed_by_country)
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
      and not exists (select 1 from pg_attribute a where a.attrelid = i.indrelid
                        and a.attnum = any (i.indkey) and a.attname = 'country_iso3')
  loop
    execute format('drop index %s', idx.name);
    execute regexp_replace(idx.def, 'USING btree \(', 'USING btree (country_iso3, ');
  end loop;

  -- The references again, each through the country (a seat's student is of its country).
  for fk in select * from dropped_references loop
    execute format('alter table %I add constraint %I foreign key (%s) references %I (%s)%s',
      fk.tab, fk.name,
      (select string_agg(quote_ident(col), ', ') from unnest('{country_iso3}'::text[] || fk.cols) col),
      fk.parent,
      (select string_agg(quote_ident(col), ', ') from unnest('{country_iso3}'::text[] || fk.parent_cols) col),
      fk.rule);
  end loop;
end $$;

-- 3. Where each table lives. Reference tables first: the distributed ones refer to them.
select create_reference_table(t::regclass) from unnest(array[
  'countries', 'programs', 'program_groups', 'program_group_members', 'roles', 'users',
  'user_scopes', 'schools', 'courses', 'course_tuition', 'course_classes', 'budget_lines', 'import_runs',
  'budget_figures'
]) t;

select create_distributed_table('restrictions'::regclass, 'country_iso3');
select create_distributed_table(tab::regclass, 'country_iso3', colocate_with => 'restrictions')
from distributed_by_country where tab <> 'restrictions' order by tab;

-- The coordinator's own: one audit chain and change log for the whole record (each write's
-- transaction spans the coordinator and the country's node), the job queue, the sign-in state,
-- and re-programmings (money moved between countries: one record across them).
select citus_add_local_table_to_metadata(t::regclass) from unnest(array[
  'audit_log', 'change_counter', 'eligibility_changes', 'jobs', 'job_writes', 'sessions',
  'api_tokens', 'login_failures', 'rate_counts', 'oidc_flows', 'reprogrammings',
  'reprogramming_sources'
]) t;
