namespace SkRerank.Lexical;

/// <summary>A document and its BM25 score for a query.</summary>
/// <typeparam name="TKey">The document key type.</typeparam>
/// <param name="Key">The document key.</param>
/// <param name="Score">The BM25 score; 0 when no query term occurs in the document.</param>
internal readonly record struct LexicalMatch<TKey>(TKey Key, double Score);
