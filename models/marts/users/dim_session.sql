{#-
    One row per rebuilt session (int_user_events: a 30-minute inactivity gap splits a user's events).
    Incremental on DuckDB (delete+insert on session_id): an increment first drops the sessions that started in the
    lookback window (macro events_window_start on session_date; a late event can merge two of them or move a
    start, so their ids may be gone), then recomputes every session with an event in the window, from all its
    events (a session that started before the window and continues in it included).
-#}
{{ config(
    full_refresh=true if var('recs_holdout') else none,
    pre_hook="{% set start = events_window_start('session_date') %}{% if start is not none %}delete from {{ this }} where session_date >= date '{{ start }}'{% endif %}"
) }}
{%- set window_start = events_window_start('session_date') %}
with

events as (

    select * from {{ ref('int_user_events') }}
    {%- if window_start is not none %}
    -- the sessions with an event in the window (their earlier events too: from the first one's start on)
    {%- set first_start = run_query(
        "select cast(min(session_started_at) as " ~ dbt.type_string() ~ ") from " ~ ref('int_user_events')
        ~ " where event_date >= date '" ~ window_start ~ "'"
    ).columns[0].values()[0] if execute else none %}
    where event_at >= {{ "timestamp '" ~ first_start ~ "'" if first_start is not none else "timestamp '" ~ window_start ~ "'" }}
        and session_id in ({{ event_keys_since(window_start, ['session_id']) }})
    {%- endif %}

)

select
    session_id,
    user_id,
    min(event_at) as started_at,
    max(event_at) as ended_at,
    cast(min(event_at) as date) as session_date,
    {{ dbt.datediff('min(event_at)', 'max(event_at)', 'second') }} as duration_seconds,
    count(*) as events,
    count(*) filter (where event_type = 'view') as views,
    count(*) filter (where event_type = 'rate') as ratings,
    count(*) filter (where event_type = 'search') as searches,
    count(distinct movie_id) as movies,
    count(distinct client_session_id) as client_session_ids,
    {{ arg_min('device', '(event_at, event_id)') }} as device,
    {{ arg_min('browser', '(event_at, event_id)') }} as browser,
    {{ arg_min('country_code', '(event_at, event_id)') }} as country_code,
    {{ arg_min('app_version', '(event_at, event_id)') }} as app_version

from events
group by session_id, user_id
