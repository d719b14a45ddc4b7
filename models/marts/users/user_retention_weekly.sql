-- Weekly retention cohorts: users by the week of their first event, and the share active in each week after
-- (from the daily rollup int_user_activity_daily: a table of user-days, not of events).
with

users as (

    select user_id, cohort_week from {{ ref('dim_user') }}

),

active_weeks as (

    select distinct user_id, cast(date_trunc('week', event_date) as date) as activity_week
    from {{ ref('int_user_activity_daily') }}

),

cohorts as (

    select cohort_week, count(*) as cohort_users from users group by cohort_week

),

retained as (

    select
        users.cohort_week,
        {{ dbt.datediff('users.cohort_week', 'active_weeks.activity_week', 'week') }} as week_number,
        count(distinct users.user_id) as active_users
    from users
    inner join active_weeks on users.user_id = active_weeks.user_id
    group by 1, 2

)

select
    retained.cohort_week,
    retained.week_number,
    cohorts.cohort_users,
    retained.active_users,
    retained.active_users / cohorts.cohort_users as retention_rate

from retained
inner join cohorts on retained.cohort_week = cohorts.cohort_week
