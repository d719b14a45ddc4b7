{#-
    The daily per-user rollup of int_user_events that dim_user and the engagement marts read instead of the
    events: one row per user, day, device and country, with the events, views and sessions started there.
    Incremental on DuckDB (delete+insert on event_date): an increment replaces the days of the lookback window
    (macro events_window_start), the days int_user_events sessionized again; a full refresh gives the same rows.
-#}
{{ config(full_refresh=true if var('recs_holdout') else none) }}
{%- set window_start = events_window_start() %}
select
    user_id,
    event_date,
    device,
    country_code,
    count(*) as events,
    count(*) filter (where event_type = 'view') as views,
    count(*) filter (where is_session_start) as sessions_started,
    min(event_at) as first_event_at,
    max(event_at) as last_event_at

from {{ ref('int_user_events') }}
{%- if window_start is not none %}
where event_date >= date '{{ window_start }}'
{%- endif %}
group by user_id, event_date, device, country_code
