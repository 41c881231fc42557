namespace SkRerank.Reranking;

/// <summary>In how many documents each token id occurs, for inverse document frequencies (BM25's formula).</summary>
internal sealed class DocumentFrequencies(Dictionary<int, int> counts, int documents)
{
    /// <summary>Counts each token once per document.</summary>
    public static DocumentFrequencies Of(IReadOnlyList<IReadOnlyList<int>> documents)
    {
        var counts = new Dictionary<int, int>();
        var seen = new HashSet<int>();
        foreach (var document in documents)
        {
            seen.Clear();
            foreach (var id in document)
            {
                if (seen.Add(id)) counts[id] = counts.GetValueOrDefault(id) + 1;
            }
        }
        return new DocumentFrequencies(counts, documents.Count);
    }

    /// <summary>Whether at least half the documents contain the token (stop words, punctuation).</summary>
    public bool IsCommon(int tokenId) => documents > 1 && 2 * counts.GetValueOrDefault(tokenId) >= documents;

    /// <summary>BM25's inverse document frequency of the token (<see cref="Lexical.InverseDocumentFrequency.Bm25"/>).</summary>
    public double InverseDocumentFrequency(int tokenId) => Lexical.InverseDocumentFrequency.Bm25(documents, counts.GetValueOrDefault(tokenId));
}
