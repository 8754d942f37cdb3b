namespace Catalog.Core.Store;

/// <summary>A key/value extra of a dataset or a group, so both lists can be kept in step with one routine.</summary>
public interface IExtra
{
    string Key { get; }
    string Value { get; set; }
}
