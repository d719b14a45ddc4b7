{#- TMDB's release type (https://developer.themoviedb.org/reference/movie-release-dates) as its name; a type TMDB
    has not documented (yet) is 'Other', never dropped. -#}
{% macro release_type_name(column) -%}
    case {{ column }}
        when 1 then 'Premiere'
        when 2 then 'Theatrical (limited)'
        when 3 then 'Theatrical'
        when 4 then 'Digital'
        when 5 then 'Physical'
        when 6 then 'TV'
        else 'Other'
    end
{%- endmacro %}
