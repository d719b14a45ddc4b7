with

movies as (

    select * from {{ ref('int_movies') }}

),

tombstones as (

    select * from {{ ref('stg_tmdb__movie_tombstones') }}

),

listings as (

    select * from {{ ref('int_movie_latest_listing') }}

),

languages as (

    select * from {{ ref('stg_tmdb__languages') }}

),

genre_lists as (

    select * from {{ ref('int_movie_genre_lists') }}

),

keyword_lists as (

    select * from {{ ref('int_movie_keyword_lists') }}

),

observed as (

    select * from {{ ref('int_movie_status_observed') }}

),

with_details as (

    select
        movie_id,
        true as has_details,
        imdb_id,
        wikidata_id,
        facebook_id,
        instagram_id,
        twitter_id,
        title,
        original_title,
        overview,
        tagline,
        original_language_code,
        release_date,
        release_status,
        runtime_minutes,
        collection_id,
        budget_usd,
        revenue_usd,
        is_adult,
        has_video,
        homepage_url,
        poster_path,
        backdrop_path,
        is_deleted,
        deleted_on,
        details_fetched_on,
        cast(null as date) as listed_on,
        popularity,
        vote_count,
        vote_average
    from movies

),

-- Inferred members: movies a discover listing showed whose details are not stored (not fetched yet, or
-- the details request answered 404). Described from their latest listing; details replace them on arrival.
listed_only as (

    select
        listings.movie_id,
        false as has_details,
        cast(null as {{ dbt.type_string() }}) as imdb_id,
        cast(null as {{ dbt.type_string() }}) as wikidata_id,
        cast(null as {{ dbt.type_string() }}) as facebook_id,
        cast(null as {{ dbt.type_string() }}) as instagram_id,
        cast(null as {{ dbt.type_string() }}) as twitter_id,
        listings.title,
        listings.original_title,
        listings.overview,
        cast(null as {{ dbt.type_string() }}) as tagline,
        listings.original_language_code,
        listings.release_date,
        cast(null as {{ dbt.type_string() }}) as release_status,
        cast(null as integer) as runtime_minutes,
        cast(null as bigint) as collection_id,
        cast(null as bigint) as budget_usd,
        cast(null as bigint) as revenue_usd,
        listings.is_adult,
        listings.has_video,
        cast(null as {{ dbt.type_string() }}) as homepage_url,
        listings.poster_path,
        listings.backdrop_path,
        tombstones.movie_id is not null as is_deleted,
        tombstones.deleted_on,
        cast(null as date) as details_fetched_on,
        listings.listed_on,
        listings.popularity,
        listings.vote_count,
        listings.vote_average
    from listings
    left join tombstones on listings.movie_id = tombstones.movie_id
    where listings.movie_id not in (select movie_id from movies)

),

all_movies as (

    select * from with_details
    union all
    select * from listed_only

),

final as (

    select
        all_movies.movie_id,
        all_movies.has_details,
        all_movies.imdb_id,
        all_movies.wikidata_id,
        all_movies.facebook_id,
        all_movies.instagram_id,
        all_movies.twitter_id,
        all_movies.title,
        all_movies.original_title,
        all_movies.overview,
        all_movies.tagline,
        {{ listed_code_or_unknown('all_movies.original_language_code', ref('stg_tmdb__languages'), 'language_code') }}
            as original_language_code,
        all_movies.original_language_code as tmdb_original_language_code,
        all_movies.release_date,
        cast(year(all_movies.release_date) as integer) as release_year,
        all_movies.release_status,
        all_movies.runtime_minutes,
        all_movies.collection_id,
        all_movies.collection_id is not null as is_in_collection,
        coalesce(genre_lists.genre_ids, {{ empty_list() }}) as genre_ids,
        coalesce(genre_lists.genre_names, {{ empty_list() }}) as genre_names,
        genre_lists.primary_genre_id,
        genre_lists.primary_genre_name,
        coalesce(keyword_lists.keyword_names, {{ empty_list() }}) as keyword_names,
        all_movies.is_adult,
        all_movies.has_video,
        all_movies.homepage_url,
        all_movies.poster_path,
        all_movies.backdrop_path,
        all_movies.is_deleted,
        all_movies.deleted_on,
        all_movies.details_fetched_on,
        all_movies.listed_on,
        observed.first_seen_on,
        observed.last_seen_on,
        coalesce(observed.days_observed, 0) as days_observed,
        -- the latest daily status when there is one, else the details' (or listing's) values
        case when observed.movie_id is not null then observed.latest_popularity else all_movies.popularity end as popularity,
        case when observed.movie_id is not null then observed.latest_vote_count else all_movies.vote_count end as vote_count,
        case when observed.movie_id is not null then observed.latest_vote_average else all_movies.vote_average end as vote_average,
        -- facts about TMDB's data, flagged, never errors (README, "Test policy")
        {{ data_issues([
            ('unknown_original_language', "all_movies.original_language_code is null or all_movies.original_language_code not in (select language_code from languages)"),
            ('missing_title', 'all_movies.title is null'),
            ('missing_overview', 'all_movies.overview is null'),
            ('no_genres', 'genre_lists.movie_id is null'),
            ('missing_release_date', 'all_movies.release_date is null'),
            ('release_date_far_future', 'all_movies.release_date > ' ~ dbt.dateadd('day', var('release_horizon_days'), 'coalesce(all_movies.details_fetched_on, all_movies.listed_on)')),
            ('unknown_runtime', 'all_movies.has_details and all_movies.runtime_minutes is null'),
            ('suspicious_budget', 'all_movies.budget_usd < ' ~ var('suspicious_amount_max_usd')),
            ('suspicious_revenue', 'all_movies.revenue_usd < ' ~ var('suspicious_amount_max_usd')),
        ]) }} as data_issues

    from all_movies
    left join genre_lists on all_movies.movie_id = genre_lists.movie_id
    left join keyword_lists on all_movies.movie_id = keyword_lists.movie_id
    left join observed on all_movies.movie_id = observed.movie_id

)

select * from final
