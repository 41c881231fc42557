namespace SkRerank.Movies;

/// <summary>
/// The movies that were indexed, by id, with their directors and genres. Lets the search resolve filter values
/// case-insensitively ("christopher nolan" → "Christopher Nolan") before they reach a vector store, whose filters
/// compare exactly.
/// </summary>
public sealed class MovieCatalog
{
    private volatile Snapshot _snapshot = new(new Dictionary<int, Movie>(), new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));

    private sealed record Snapshot(IReadOnlyDictionary<int, Movie> Movies, IReadOnlyDictionary<string, string> Directors)
    {
        // Built on first use (a few milliseconds for 1000 movies), for Search.QueryReadability.
        public Lazy<HashSet<string>> Vocabulary { get; } = new(() =>
        {
            var words = new HashSet<string>(StringComparer.Ordinal);
            foreach (var movie in Movies.Values)
                words.UnionWith(Search.QueryReadability.Words(MovieText.Compose(movie, MovieTextFields.All)));
            return words;
        });
    }

    /// <summary>Every word (lower-cased) of the known movies' texts: what the catalogue's language looks like.</summary>
    public IReadOnlySet<string> Vocabulary => _snapshot.Vocabulary.Value;

    /// <summary>Number of movies known.</summary>
    public int Count => _snapshot.Movies.Count;

    /// <summary>Replaces the catalog's contents.</summary>
    public void Set(IEnumerable<Movie> movies)
    {
        ArgumentNullException.ThrowIfNull(movies);
        var byId = new Dictionary<int, Movie>();
        var directors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var movie in movies)
        {
            byId[movie.Id] = movie;
            if (!string.IsNullOrWhiteSpace(movie.Director)) directors.TryAdd(movie.Director, movie.Director);
        }
        _snapshot = new Snapshot(byId, directors);
    }

    /// <summary>Looks a movie up by id.</summary>
    public bool TryGet(int id, out Movie? movie)
    {
        var found = _snapshot.Movies.TryGetValue(id, out var m);
        movie = m;
        return found;
    }

    /// <summary>All movies, in id order.</summary>
    public IEnumerable<Movie> All => _snapshot.Movies.Values.OrderBy(m => m.Id);

    /// <summary>
    /// The director's name as the dataset spells it, matched case-insensitively; the input itself when the catalog
    /// is empty (a user-supplied collection) or does not know the name.
    /// </summary>
    public string CanonicalDirector(string director)
    {
        var trimmed = director.Trim();
        return _snapshot.Directors.TryGetValue(trimmed, out var canonical) ? canonical : trimmed;
    }

    /// <summary>
    /// Resolves a director filter the way a person means it: the exact name in any case ("christopher nolan"), or a
    /// part of one name that matches no other ("Nolan", "tarantino"), ignoring accents. With an empty catalog (a
    /// user-supplied collection) the input is passed through.
    /// </summary>
    /// <exception cref="Search.SearchArgumentException">No director matches (the message lists close names), or several do (it lists them).</exception>
    public string ResolveDirector(string director)
    {
        ArgumentNullException.ThrowIfNull(director);
        var trimmed = director.Trim();
        var directors = _snapshot.Directors;
        if (directors.Count == 0) return trimmed;
        if (directors.TryGetValue(trimmed, out var exact)) return exact;

        var wanted = DirectorName.Fold(trimmed);
        var matches = directors.Values.Where(name => DirectorName.Contains(name, wanted)).OrderBy(n => n, StringComparer.Ordinal).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            > 1 => throw new Search.SearchArgumentException(
                $"Director '{trimmed}' matches {matches.Count} directors: {string.Join(", ", matches.Take(8))}{(matches.Count > 8 ? ", …" : "")}. Give the full name.", "director"),
            _ => throw new Search.SearchArgumentException(Unknown(trimmed, wanted, directors.Values), "director"),
        };
    }

    private static string Unknown(string trimmed, string wanted, IEnumerable<string> directors)
    {
        var close = DirectorName.Closest(wanted, directors, 5);
        return close.Count == 0
            ? $"No movie in the catalogue is directed by '{trimmed}'."
            : $"No movie in the catalogue is directed by '{trimmed}'. Close matches: {string.Join(", ", close)}.";
    }
}
