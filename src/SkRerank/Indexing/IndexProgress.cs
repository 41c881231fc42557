namespace SkRerank.Indexing;

/// <summary>Indexing progress.</summary>
/// <param name="Done">Movies embedded so far.</param>
/// <param name="Total">Movies to embed.</param>
public readonly record struct IndexProgress(int Done, int Total);
