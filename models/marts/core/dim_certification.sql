-- Every age rating: TMDB's certification list, plus the ratings movies carry that the list lacks for their
-- country ('Unrated' in the US), flagged, so that no release's rating is ever without its dim row.
with

listed as (

    select * from {{ ref('stg_tmdb__certifications') }}

),

releases as (

    select * from {{ ref('int_movie_releases') }}

),

observed as (

    select
        country_code,
        certification,
        count(distinct movie_id) as movie_count
    from releases
    where country_code is not null and certification is not null
    group by country_code, certification

),

unlisted as (

    select
        observed.country_code,
        observed.certification,
        cast(null as {{ dbt.type_string() }}) as certification_meaning,
        cast(null as integer) as certification_order,
        false as is_in_tmdb_list
    from observed
    where not exists (
        select 1 from listed
        where observed.country_code = listed.country_code and observed.certification = listed.certification
    )

),

unioned as (

    select country_code, certification, certification_meaning, certification_order, true as is_in_tmdb_list
    from listed
    union all
    select * from unlisted

),

final as (

    select
        {{ certification_key('unioned.country_code', 'unioned.certification') }} as certification_key,
        unioned.country_code,
        unioned.certification,
        unioned.certification_meaning,
        unioned.certification_order,
        unioned.is_in_tmdb_list,
        coalesce(observed.movie_count, 0) as movie_count

    from unioned
    left join observed
        on unioned.country_code = observed.country_code and unioned.certification = observed.certification

)

select * from final
