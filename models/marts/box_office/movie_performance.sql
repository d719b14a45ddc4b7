-- One wide row per movie in the catalogue (not deleted): what the box office and catalogue marts aggregate.
with

movies as (

    select * from {{ ref('dim_movie') }}

),

financials as (

    select * from {{ ref('fct_movie_financials') }}

),

collections as (

    select * from {{ ref('dim_collection') }}

),

languages as (

    select * from {{ ref('dim_language') }}

),

final as (

    select
        movies.movie_id,
        movies.title,
        movies.release_date,
        movies.release_year,
        cast(month(movies.release_date) as integer) as release_month,
        movies.release_status,
        movies.runtime_minutes,
        movies.primary_genre_name,
        movies.genre_names,
        movies.original_language_code,
        languages.language_name as original_language_name,
        movies.collection_id,
        collections.collection_name,
        case when movies.is_in_collection then 'Franchise' else 'Standalone' end as franchise_type,
        financials.budget_usd,
        financials.revenue_usd,
        financials.profit_usd,
        financials.roi,
        financials.is_profitable,
        movies.popularity,
        movies.vote_count,
        movies.vote_average,

    from movies
    left join financials on movies.movie_id = financials.movie_id
    left join collections on movies.collection_id = collections.collection_id
    left join languages on movies.original_language_code = languages.language_code
    where not movies.is_deleted

)

select * from final
