namespace SkRerank.Lexical;

/// <summary>How rare a term is across a corpus: BM25's term weight, and the late-interaction signal's query-token weight.</summary>
internal static class InverseDocumentFrequency
{
    /// <summary><c>ln(1 + (N − df + 0.5) / (df + 0.5))</c> (BM25's, Lucene's variant): never negative, largest for terms no document has.</summary>
    /// <param name="documentCount">N, the documents in the corpus.</param>
    /// <param name="documentFrequency">df, the documents that contain the term.</param>
    public static double Bm25(int documentCount, int documentFrequency) =>
        Math.Log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}
