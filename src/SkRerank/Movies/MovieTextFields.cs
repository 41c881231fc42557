namespace SkRerank.Movies;

/// <summary>Which movie fields go into a text that is embedded or reranked.</summary>
[Flags]
public enum MovieTextFields
{
    /// <summary>No field.</summary>
    None = 0,
    /// <summary>The title.</summary>
    Title = 1,
    /// <summary>The plot overview.</summary>
    Overview = 2,
    /// <summary>The tagline, when present.</summary>
    Tagline = 4,
    /// <summary>The director, as "Director: name".</summary>
    Director = 8,
    /// <summary>The genres, as "Genres: a, b".</summary>
    Genres = 16,
    /// <summary>Title, overview and tagline: what the cookbook embeds.</summary>
    Default = Title | Overview | Tagline,
    /// <summary>Every field.</summary>
    All = Title | Overview | Tagline | Director | Genres,
}
