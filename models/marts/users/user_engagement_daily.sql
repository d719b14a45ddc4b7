{#-
    Daily engagement over the days the events cover: daily, weekly (7 days ending that day) and monthly (28 days
    ending that day) active users, stickiness (DAU / MAU) and new users. A window reaching before the first day
    of events is incomplete (is_month_complete false): its MAU counts fewer days.

    Read from the daily rollup int_user_activity_daily. Incremental on DuckDB (delete+insert on activity_date):
    an increment recomputes the days of the lookback window (macro events_window_start) from the 27 days before
    them on; the days before keep their figures (no event can join them, and a user's first day is before the
    window or in it).
-#}
{{ config(full_refresh=true if var('recs_holdout') else none) }}
{%- set window_start = events_window_start('activity_date') %}
with

days as (

    select distinct user_id, event_date from {{ ref('int_user_activity_daily') }}

),

active as (

    select * from days
    {%- if window_start is not none %}
    where event_date >= date '{{ window_start }}' - 27
    {%- endif %}

),

bounds as (

    select min(event_date) as first_day, max(event_date) as last_day from days

),

calendar as (

    select dim_date.date_day as activity_date
    from {{ ref('dim_date') }} as dim_date
    inner join bounds on dim_date.date_day between bounds.first_day and bounds.last_day
    {%- if window_start is not none %}
    where dim_date.date_day >= date '{{ window_start }}'
    {%- endif %}

),

windows as (

    select
        calendar.activity_date,
        count(distinct active.user_id) filter (where active.event_date = calendar.activity_date) as daily_active_users,
        count(distinct active.user_id) filter (
            where active.event_date > calendar.activity_date - 7
        ) as weekly_active_users,
        count(distinct active.user_id) as monthly_active_users
    from calendar
    left join active on active.event_date between calendar.activity_date - 27 and calendar.activity_date
    group by calendar.activity_date

),

new_users as (

    select first_seen_date, count(*) as new_users from {{ ref('dim_user') }} group by first_seen_date

)

select
    windows.activity_date,
    windows.daily_active_users,
    windows.weekly_active_users,
    windows.monthly_active_users,
    windows.daily_active_users / nullif(windows.monthly_active_users, 0) as stickiness,
    coalesce(new_users.new_users, 0) as new_users,
    windows.activity_date - 27 >= bounds.first_day as is_month_complete

from windows
cross join bounds
left join new_users on windows.activity_date = new_users.first_seen_date
