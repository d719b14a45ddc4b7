{#-
    Incremental (delete+insert on event_date, dbt_project.yml): an increment recomputes the days from the newest
    day held minus `events_lookback_days` (macro event_days_to_reprocess); a full refresh gives the same rows.
-#}
select
    event_id,
    event_type,
    user_id,
    session_id,
    movie_id,
    rating,
    event_at,
    event_date,
    received_at,
    received_at > {{ dbt.dateadd('hour', 1, 'event_at') }} as is_late,
    is_client_clock_rejected,
    device,
    browser,
    country_code,
    app_version

from {{ ref('int_user_events') }}
{{ event_days_to_reprocess() }}
