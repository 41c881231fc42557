namespace SkRerank.Reranking;

/// <summary>Settings of a <see cref="SignalFusionReranker"/>.</summary>
public sealed class SignalFusionRerankerOptions
{
    /// <summary>
    /// How many of the best-fused documents serve as pseudo-relevance feedback for the
    /// <see cref="IFeedbackRelevanceSignal"/>s, which then score again before a second fusion; 0 (the default) fuses once.
    /// </summary>
    public int FeedbackDocuments { get; set; }

    /// <summary>The feedback centroid's weight against the query's 1 (Rocchio's β). 1 by default.</summary>
    public double FeedbackWeight { get; set; } = 1.0;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(FeedbackDocuments);
        if (!(FeedbackWeight >= 0) || double.IsInfinity(FeedbackWeight))
            throw new ArgumentOutOfRangeException(nameof(FeedbackWeight), FeedbackWeight, "FeedbackWeight must be a finite number >= 0.");
    }
}
