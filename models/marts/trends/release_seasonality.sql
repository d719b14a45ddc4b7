-- When in the year movies come out, per genre (and over all genres): movies released in each calendar month
-- over every year, the month's share of the genre's dated movies, and a seasonality index (share x 12: 1 is an
-- even spread, 2 twice the average month).
with

by_genre as (

    select * from {{ ref('movie_genre_groups') }}

),

financials as (

    select * from {{ ref('fct_movie_financials') }}

),

monthly as (

    select
        by_genre.genre_name,
        cast(month(by_genre.release_date) as integer) as release_month,
        count(*) as movies_released,
        round({{ exact_avg("by_genre.vote_average") }}, 4) as avg_vote_average,
        median(financials.revenue_usd) as median_revenue_usd,
    from by_genre
    left join financials on by_genre.movie_id = financials.movie_id
    group by by_genre.genre_name, month(by_genre.release_date)

),

final as (

    select
        genre_name,
        release_month,
        movies_released,
        movies_released / sum(movies_released) over (partition by genre_name) as share_of_genre,
        12 * movies_released / sum(movies_released) over (partition by genre_name) as seasonality_index,
        avg_vote_average,
        median_revenue_usd,
    from monthly

)

select * from final
