global using NUnit.Framework;
global using Catalog.Tests.Infrastructure;
