-- The gender of top-billed casts, by release decade and genre (and over all genres), as TMDB records it:
-- women, men, non-binary, and not set (TMDB's 0, the most common value for lesser-known people).
with

filmography as (

    select * from {{ ref('person_filmography') }}
    where role = 'cast' and release_year is not null

),

people as (

    select * from {{ ref('dim_person') }}

),

by_genre as (

    select filmography.release_year, genre_name, people.gender
    from filmography, unnest(filmography.genre_names) as g(genre_name)
    inner join people on filmography.person_id = people.person_id
    union all
    select filmography.release_year, 'All genres' as genre_name, people.gender
    from filmography
    inner join people on filmography.person_id = people.person_id

),

final as (

    select
        cast(release_year // 10 * 10 as integer) as decade,
        genre_name,
        count(*) as cast_credits,
        count(*) filter (where gender = 'Female') as female_credits,
        count(*) filter (where gender = 'Male') as male_credits,
        count(*) filter (where gender = 'Non-binary') as non_binary_credits,
        count(*) filter (where gender not in ('Female', 'Male', 'Non-binary') or gender is null) as not_set_credits,
        count(*) filter (where gender = 'Female')
            / nullif(count(*) filter (where gender in ('Female', 'Male', 'Non-binary')), 0) as female_share_of_known,
    from by_genre
    group by release_year // 10 * 10, genre_name

)

select * from final
