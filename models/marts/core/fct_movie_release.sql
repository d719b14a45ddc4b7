-- One row per release of a movie: country, type, date, certification and note (TMDB's release_dates).
with

releases as (

    select * from {{ ref('int_movie_releases') }}

),

final as (

    select
        releases.movie_id,
        {{ listed_code_or_unknown('releases.country_code', ref('stg_tmdb__countries'), 'country_code') }}
            as country_code,
        releases.country_code as tmdb_country_code,
        releases.country_position,
        releases.release_position,
        releases.release_type,
        releases.release_type_name,
        releases.release_date,
        releases.certification,
        case
            when releases.country_code is not null and releases.certification is not null
                then {{ certification_key('releases.country_code', 'releases.certification') }}
        end as certification_key,
        releases.note,
        releases.language_code,
        -- the country's first release (ties: the lower type, premiere before theatrical)
        row_number() over (
            partition by releases.movie_id, releases.country_code
            order by releases.release_date nulls last, releases.release_type, releases.release_position
        ) = 1 as is_first_in_country

    from releases

)

select * from final
