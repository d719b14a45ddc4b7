with

credits as (

    select * from {{ ref('int_movie_credits') }}

),

latest as (

    -- the person as named in the most recently fetched credit
    select
        person_id,
        person_name,
        gender_code,
        known_for_department,
        profile_path
    from credits
    qualify row_number() over (
        partition by person_id order by details_fetched_on desc, credit_id
    ) = 1

),

counts as (

    select
        person_id,
        count(distinct movie_id) filter (where credit_type = 'cast') as cast_movie_count,
        count(distinct movie_id) filter (where credit_type = 'crew') as crew_movie_count,
        count(distinct movie_id) filter (where credit_type = 'crew' and job = 'Director') as directed_movie_count,
        max(person_popularity) as person_popularity

    from credits
    group by person_id

),

details as (

    -- the details of the top-billed cast and key crew of tracked movies, where fetched (pipelines/tmdb/people.py)
    select * from {{ ref('stg_tmdb__person_details') }}

),

tombstones as (

    select person_id from {{ ref('stg_tmdb__person_tombstones') }}

),

final as (

    select
        latest.person_id,
        latest.person_name,
        latest.gender_code,
        case latest.gender_code
            when 1 then 'Female'
            when 2 then 'Male'
            when 3 then 'Non-binary'
            else 'Not set'
        end as gender,
        latest.known_for_department,
        latest.profile_path,
        counts.person_popularity,
        counts.cast_movie_count,
        counts.crew_movie_count,
        counts.directed_movie_count,
        details.person_id is not null as has_details,
        details.details_fetched_on,
        details.biography,
        details.birthday,
        details.deathday,
        details.place_of_birth,
        details.homepage,
        details.details_popularity,
        details.imdb_id,
        details.wikidata_id,
        details.facebook_id,
        details.instagram_id,
        details.twitter_id,
        details.tiktok_id,
        details.youtube_id,
        tombstones.person_id is not null as is_deleted

    from latest
    inner join counts on latest.person_id = counts.person_id
    left join details on latest.person_id = details.person_id
    left join tombstones on latest.person_id = tombstones.person_id

)

select * from final
