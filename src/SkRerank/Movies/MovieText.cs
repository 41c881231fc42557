namespace SkRerank.Movies;

/// <summary>Builds the text of a movie from the chosen fields.</summary>
public static class MovieText
{
    /// <summary>Joins the chosen, non-empty fields of <paramref name="movie"/> with newlines.</summary>
    public static string Compose(Movie movie, MovieTextFields fields)
    {
        ArgumentNullException.ThrowIfNull(movie);
        var parts = new List<string>(5);
        if (fields.HasFlag(MovieTextFields.Title) && !string.IsNullOrWhiteSpace(movie.Title)) parts.Add(movie.Title);
        if (fields.HasFlag(MovieTextFields.Overview) && !string.IsNullOrWhiteSpace(movie.Overview)) parts.Add(movie.Overview);
        if (fields.HasFlag(MovieTextFields.Tagline) && !string.IsNullOrWhiteSpace(movie.Tagline)) parts.Add(movie.Tagline!);
        if (fields.HasFlag(MovieTextFields.Director) && !string.IsNullOrWhiteSpace(movie.Director)) parts.Add("Director: " + movie.Director);
        if (fields.HasFlag(MovieTextFields.Genres) && movie.Genres.Count > 0) parts.Add("Genres: " + string.Join(", ", movie.Genres));
        return string.Join('\n', parts);
    }
}
