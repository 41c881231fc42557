namespace SkRerank.Movies;

/// <summary>
/// The movies that were indexed, by id, with their directors and genres. Lets the search resolve filter values
/// case-insensitively ("christopher nolan" → "Christopher Nolan") before they reach a vector store, whose filters
/// compare exactly.
/// </summary>
public sealed class MovieCatalog
{
    private volatile Snapshot _snapshot = new(new Dictionary<int, Movie>(), new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));

    private readonly Lock _writeLock = new();

    private sealed record Snapshot(IReadOnlyDictionary<int, Movie> Movies, IReadOnlyDictionary<string, string> Directors);

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
        lock (_writeLock) _snapshot = new Snapshot(byId, directors);
    }

    /// <summary>Adds <paramref name="movies"/>, replacing those with the same id; the others stay known.</summary>
    public void Add(IEnumerable<Movie> movies)
    {
        ArgumentNullException.ThrowIfNull(movies);
        lock (_writeLock)
        {
            var byId = new Dictionary<int, Movie>(_snapshot.Movies);
            foreach (var movie in movies) byId[movie.Id] = movie;
            var directors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var movie in byId.Values.OrderBy(m => m.Id))
            {
                if (!string.IsNullOrWhiteSpace(movie.Director)) directors.TryAdd(movie.Director, movie.Director);
            }
            _snapshot = new Snapshot(byId, directors);
        }
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
}
