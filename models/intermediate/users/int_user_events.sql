{#-
    Every event with the time it happened and its session, rebuilt from the events alone (client session ids are
    not trusted: one producer keeps one id all day).

    event_at: a client clock can be off. It is the client's time unless that is after the collector received the
    event (a clock ahead) or more than `events_max_lateness_days` before it (a clock far behind, or an event too
    late for any lookback), then the time received.

    Sessions: a user's events ordered by event_at; more than `session_gap_minutes` (30) since the user's previous
    event starts a new session. A session's id is a hash of the user and its first event's time, so it stays the
    same when later events join it (a late event earlier than its first event would change it, which the
    lookback of the incremental models covers).

    Incremental (DuckDB; a table on Spark): an increment sessionizes only the window of event_date from the newest
    day held minus `events_lookback_days` (macro events_window_start) and replaces those days (delete+insert on
    event_date). Each user's first session in the window continues the last one held when the gap is at most
    `session_gap_minutes`: the held events of the `session_gap_minutes` before the window take part in the
    sessionizing with the session start they hold (previous_held), and are not written again. An event already
    held before the window (a copy delivered again, whatever raw holds) is not taken twice. A full refresh gives
    the same rows.

    With var recs_holdout (tmdb-warehouse recs-eval, on a copy of the warehouse, never in a run), each user who
    rated movies on two days or more loses the events from the last such day on: the time split the offline
    evaluation of the recommendations holds out.
-#}
{{ config(full_refresh=true if var('recs_holdout') else none) }}  {#- the held-out copy: every day again #}
{%- set window_start = events_window_start() %}
with

events as (

    select
        *,
        client_ts > received_at
            or client_ts < {{ dbt.dateadd('day', -var('events_max_lateness_days'), 'received_at') }}
            as is_client_clock_rejected

    from {{ ref('stg_events__events') }}
    {%- if window_start is not none %}
    -- an event's time is never after its receipt: what the window can hold was received in it (a pruned scan)
    where received_at >= timestamp '{{ window_start }}'
    {%- endif %}

),

timed as (

    select
        event_id, event_type, user_id, client_session_id, movie_id, rating, client_ts, received_at,
        device, browser, country_code, app_version, is_client_clock_rejected,
        case when is_client_clock_rejected then received_at else client_ts end as event_at,
        cast(null as timestamp) as held_session_started_at

    from events
    {%- if window_start is not none %}
    where case when is_client_clock_rejected then received_at else client_ts end >= timestamp '{{ window_start }}'
        -- (a probe of the held ids with the window's, not a table of every id held)
        and event_id not in (
            select event_id from {{ this }}
            where event_date < date '{{ window_start }}' and event_id in (select event_id from events)
        )

    union all

    -- the last minutes held before the window: the window's first session may continue theirs
    select
        event_id, event_type, user_id, client_session_id, movie_id, rating, client_ts, received_at,
        device, browser, country_code, app_version, is_client_clock_rejected,
        event_at,
        session_started_at as held_session_started_at

    from {{ this }}
    where event_date >= date '{{ window_start }}' - 1
        and event_at < timestamp '{{ window_start }}'
        and event_at >= {{ dbt.dateadd('minute', -var('session_gap_minutes'), "timestamp '" ~ window_start ~ "'") }}
    {%- endif %}

),
{%- if var('recs_holdout') %}

holdout_cutoffs as (

    select user_id, max(cast(event_at as date)) as holdout_from
    from timed
    where event_type = 'rate'
    group by user_id
    having count(distinct cast(event_at as date)) >= 2

),

kept as (

    select timed.*
    from timed
    left join holdout_cutoffs on timed.user_id = holdout_cutoffs.user_id
    where holdout_cutoffs.holdout_from is null or cast(timed.event_at as date) < holdout_cutoffs.holdout_from

),
{%- endif %}

gaps as (

    select
        *,
        lag(event_at) over (partition by user_id order by event_at, event_id) as previous_event_at

    from {{ 'kept' if var('recs_holdout') else 'timed' }}

),

flagged as (

    select
        *,
        case
            when previous_event_at is null then 1
            when event_at > {{ dbt.dateadd('minute', var('session_gap_minutes'), 'previous_event_at') }} then 1
            else 0
        end as is_session_start

    from gaps

),

numbered as (

    select
        *,
        sum(is_session_start) over (
            partition by user_id order by event_at, event_id rows between unbounded preceding and current row
        ) as user_session_number

    from flagged

),

sessions as (

    select
        *,
        min(coalesce(held_session_started_at, event_at)) over (
            partition by user_id, user_session_number
        ) as session_started_at

    from numbered

)

select
    event_id,
    event_type,
    user_id,
    md5(user_id || '|' || {{ format_date('session_started_at', '%Y-%m-%dT%H:%M:%S.%f') }}) as session_id,
    session_started_at,
    is_session_start = 1 as is_session_start,
    client_session_id,
    movie_id,
    rating,
    event_at,
    cast(event_at as date) as event_date,
    client_ts,
    received_at,
    is_client_clock_rejected,
    device,
    browser,
    country_code,
    app_version

from sessions
where held_session_started_at is null
-- stored in day order: the increments' filters on event_date and event_at then skip the row groups of other days
-- (DuckDB's min/max per row group), where the window functions' output order (by user) would make them read all
order by event_date
