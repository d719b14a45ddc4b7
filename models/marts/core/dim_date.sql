-- A generated calendar: one row per day from calendar_start_date to calendar_end_date (vars), widened to
-- whole years covering every release date and ingestion day in the warehouse.
with

movies as (

    select * from {{ ref('stg_tmdb__movies') }}

),

status as (

    select * from {{ ref('stg_tmdb__movie_status') }}

),

bounds as (

    select
        -- whole years, so a month or year start of any date in the warehouse is in the calendar too
        cast(date_trunc('year', least(
            cast('{{ var("calendar_start_date") }}' as date),
            (select min(release_date) from movies),
            (select min(snapshot_date) from status)
        )) as date) as first_day,
        cast(date_trunc('year', greatest(
            cast('{{ var("calendar_end_date") }}' as date),
            (select max(release_date) from movies),
            (select max(snapshot_date) from status)
        )) + interval 1 year - interval 1 day as date) as last_day

),

days as (

    select {{ day_series('first_day', 'last_day') }} as date_day
    from bounds

),

calendar as (

    select
        date_day,
        cast({{ format_date('date_day', '%Y%m%d') }} as integer) as date_key,
        cast(year(date_day) as integer) as year_number,
        cast(quarter(date_day) as integer) as quarter_of_year,
        {{ format_date('date_day', '%Y') }} || '-Q' || quarter(date_day) as year_quarter,
        cast(date_trunc('quarter', date_day) as date) as quarter_start_date,
        cast(month(date_day) as integer) as month_of_year,
        {{ format_date('date_day', '%B') }} as month_name,
        {{ format_date('date_day', '%Y-%m') }} as year_month,
        cast(date_trunc('month', date_day) as date) as month_start_date,
        cast({{ iso_date_part('year', 'date_day') }} as integer) as iso_year,
        cast({{ iso_date_part('week', 'date_day') }} as integer) as iso_week_of_year,
        cast(date_trunc('week', date_day) as date) as week_start_date,
        cast(day(date_day) as integer) as day_of_month,
        cast(dayofyear(date_day) as integer) as day_of_year,
        cast({{ iso_date_part('day_of_week', 'date_day') }} as integer) as iso_day_of_week,
        {{ format_date('date_day', '%A') }} as day_name,
        {{ iso_date_part('day_of_week', 'date_day') }} >= 6 as is_weekend

    from days

)

select * from calendar
