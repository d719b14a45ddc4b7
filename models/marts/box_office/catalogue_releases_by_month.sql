-- Movies by release year and month.
with

movies as (

    select * from {{ ref('movie_performance') }}

),

final as (

    select
        release_year,
        release_month,
        cast(make_date(release_year, release_month, 1) as date) as month_start_date,
        count(*) as movies_released,
        sum(revenue_usd) as total_revenue_usd,
        round(avg(vote_average), 4) as avg_vote_average,

    from movies
    where release_date is not null
    group by release_year, release_month

)

select * from final
