namespace SkRerank.Movies;

/// <summary>
/// The genre vocabulary of the dataset (TMDB's). The dataset writes genres as one space-separated string, so
/// multi-word genres ("Science Fiction", "TV Movie") have to be recognised to be split correctly.
/// </summary>
public static class MovieGenres
{
    /// <summary>TMDB's movie genres.</summary>
    public static IReadOnlyList<string> Known { get; } =
    [
        "Action", "Adventure", "Animation", "Comedy", "Crime", "Documentary", "Drama", "Family", "Fantasy",
        "Foreign", "History", "Horror", "Music", "Mystery", "Romance", "Science Fiction", "TV Movie", "Thriller",
        "War", "Western",
    ];

    private static readonly string[] MultiWord = Known.Where(g => g.Contains(' ')).ToArray();

    /// <summary>Splits "Adventure Drama Science Fiction" into ["Adventure", "Drama", "Science Fiction"].</summary>
    public static List<string> Parse(string? genres)
    {
        var result = new List<string>();
        if (string.IsNullOrWhiteSpace(genres)) return result;
        var words = genres.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < words.Length; i++)
        {
            var match = MultiWord.FirstOrDefault(g =>
            {
                var parts = g.Split(' ');
                return i + parts.Length <= words.Length
                    && parts.Select((p, j) => string.Equals(p, words[i + j], StringComparison.OrdinalIgnoreCase)).All(x => x);
            });
            if (match is not null)
            {
                result.Add(match);
                i += match.Split(' ').Length - 1;
            }
            else
            {
                result.Add(words[i]);
            }
        }
        return result;
    }

    /// <summary>
    /// Finds the canonical spelling of <paramref name="genre"/> ("sci-fi", "science fiction" → "Science Fiction"),
    /// or <see langword="null"/> when it is not a known genre.
    /// </summary>
    public static string? Canonicalize(string? genre)
    {
        if (string.IsNullOrWhiteSpace(genre)) return null;
        var trimmed = genre.Trim();
        var known = Known.FirstOrDefault(g => string.Equals(g, trimmed, StringComparison.OrdinalIgnoreCase));
        if (known is not null) return known;
        return trimmed.ToLowerInvariant() switch
        {
            "sci-fi" or "scifi" or "sf" => "Science Fiction",
            "animated" or "cartoon" => "Animation",
            "romantic" or "romcom" => "Romance",
            "scary" => "Horror",
            "historical" => "History",
            "musical" => "Music",
            "tv" => "TV Movie",
            _ => null,
        };
    }
}
