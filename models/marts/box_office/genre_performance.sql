-- Box office and audience by genre. A movie counts in each of its genres (totals over genres exceed the
-- catalogue's); allocated_revenue_usd splits each movie's revenue evenly across its genres instead.
with

movies as (

    select * from {{ ref('movie_performance') }}

),

bridge as (

    select * from {{ ref('bridge_movie_genre') }}

),

genres as (

    select * from {{ ref('dim_genre') }}

),

final as (

    select
        genres.genre_id,
        genres.genre_name,
        count(*) as movie_count,
        count(*) filter (where bridge.is_primary_genre) as primary_genre_movie_count,
        count(movies.profit_usd) as movies_with_financials,
        sum(movies.revenue_usd) as total_revenue_usd,
        -- in exact decimals: a sum of doubles depends on the order DuckDB's threads add them in
        cast(round(sum(cast(movies.revenue_usd as decimal(38, 4)) * cast(bridge.allocation_weight as decimal(18, 12))))
            as bigint) as allocated_revenue_usd,
        round(avg(movies.revenue_usd), 2) as avg_revenue_usd,
        sum(movies.profit_usd) as total_profit_usd,
        round(median(movies.roi), 6) as median_roi,
        round(avg(movies.vote_average), 4) as avg_vote_average,
        round(avg(movies.popularity), 4) as avg_popularity,

    from bridge
    inner join movies on bridge.movie_id = movies.movie_id
    inner join genres on bridge.genre_id = genres.genre_id
    group by genres.genre_id, genres.genre_name

)

select * from final
