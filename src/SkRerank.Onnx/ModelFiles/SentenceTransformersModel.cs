using SkRerank.Onnx.Embeddings;

namespace SkRerank.Onnx.ModelFiles;

/// <summary>What a sentence-transformers model's files say about running it.</summary>
/// <param name="ModelPath">The ONNX graph (<c>onnx/model.onnx</c>, or <c>model.onnx</c> at the root).</param>
/// <param name="VocabularyPath"><c>vocab.txt</c>, or <c>tokenizer.json</c> with a WordPiece model.</param>
/// <param name="Pooling">From <c>1_Pooling/config.json</c> (the Pooling module's folder in <c>modules.json</c>).</param>
/// <param name="Normalize">Whether <c>modules.json</c> ends with a Normalize module.</param>
/// <param name="QueryPrefix">The "query" prompt of <c>config_sentence_transformers.json</c>.</param>
/// <param name="DocumentPrefix">Its "document" (or "passage", "corpus") prompt, else the default prompt.</param>
/// <param name="LowerCase">Whether text is lower-cased before WordPiece.</param>
/// <param name="MaxTokens"><c>max_seq_length</c> of <c>sentence_bert_config.json</c>, else the tokenizer's <c>model_max_length</c>.</param>
internal sealed record SentenceTransformersModel(
    string ModelPath,
    string VocabularyPath,
    EmbeddingPooling Pooling,
    bool Normalize,
    string QueryPrefix,
    string DocumentPrefix,
    bool LowerCase,
    int? MaxTokens);
