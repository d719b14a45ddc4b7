-- One row per rebuilt session (int_user_events: a 30-minute inactivity gap splits a user's events).
with

events as (

    select * from {{ ref('int_user_events') }}

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
    {{ arg_min('device', 'event_at') }} as device,
    {{ arg_min('browser', 'event_at') }} as browser,
    {{ arg_min('country_code', 'event_at') }} as country_code,
    {{ arg_min('app_version', 'event_at') }} as app_version

from events
group by session_id, user_id
