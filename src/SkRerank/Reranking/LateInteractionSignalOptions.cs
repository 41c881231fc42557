namespace SkRerank.Reranking;

/// <summary>Settings of a <see cref="LateInteractionSignal"/>.</summary>
public sealed class LateInteractionSignalOptions
{
    /// <summary>
    /// How much of each query token's weight follows its rarity: 0 weighs every query token alike (ColBERT's MaxSim),
    /// 1 weighs by inverse document frequency only, so "bats" counts more than "movie". 0.5 by default, which ranked
    /// best on the dev queries (README, "Relevance").
    /// </summary>
    public double IdfShare { get; set; } = 0.5;

    /// <summary>
    /// Folder where the documents' token vectors are kept between runs (a file per model, ~70 MB for the 1000 movies);
    /// <see langword="null"/> keeps them in memory only, so every start embeds every document again.
    /// </summary>
    public string? CacheDirectory { get; set; }

    internal void Validate()
    {
        if (!(IdfShare >= 0 && IdfShare <= 1)) throw new ArgumentOutOfRangeException(nameof(IdfShare), IdfShare, "IdfShare must lie in [0, 1].");
    }
}
