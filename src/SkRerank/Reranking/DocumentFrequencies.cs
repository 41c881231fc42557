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

    /// <summary><c>ln(1 + (N − df + 0.5) / (df + 0.5))</c>: never negative, largest for tokens no document has.</summary>
    public double InverseDocumentFrequency(int tokenId)
    {
        var df = counts.GetValueOrDefault(tokenId);
        return Math.Log(1 + (documents - df + 0.5) / (df + 0.5));
    }
}
