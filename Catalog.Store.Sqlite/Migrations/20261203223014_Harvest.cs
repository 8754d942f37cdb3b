using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Store.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Harvest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "harvest_file",
                columns: table => new
                {
                    SourceId = table.Column<string>(type: "TEXT", nullable: false),
                    Url = table.Column<string>(type: "TEXT", nullable: false),
                    ETag = table.Column<string>(type: "TEXT", nullable: true),
                    LastModified = table.Column<string>(type: "TEXT", nullable: true),
                    Sha256 = table.Column<string>(type: "TEXT", nullable: true),
                    Profile = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_harvest_file", x => new { x.SourceId, x.Url });
                });

            migrationBuilder.CreateTable(
                name: "harvest_job",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    SourceId = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    Created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    GatherStarted = table.Column<DateTime>(type: "TEXT", nullable: true),
                    GatherFinished = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Finished = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Added = table.Column<int>(type: "INTEGER", nullable: false),
                    Updated = table.Column<int>(type: "INTEGER", nullable: false),
                    Unchanged = table.Column<int>(type: "INTEGER", nullable: false),
                    Deleted = table.Column<int>(type: "INTEGER", nullable: false),
                    Errored = table.Column<int>(type: "INTEGER", nullable: false),
                    GatherError = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_harvest_job", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "harvest_object",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    JobId = table.Column<string>(type: "TEXT", nullable: false),
                    SourceId = table.Column<string>(type: "TEXT", nullable: false),
                    Guid = table.Column<string>(type: "TEXT", nullable: false),
                    PackageId = table.Column<string>(type: "TEXT", nullable: true),
                    State = table.Column<string>(type: "TEXT", nullable: false),
                    ReportStatus = table.Column<string>(type: "TEXT", nullable: true),
                    ContentHash = table.Column<string>(type: "TEXT", nullable: true),
                    Errors = table.Column<string>(type: "TEXT", nullable: true),
                    Created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_harvest_object", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "harvest_source",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", nullable: true),
                    Url = table.Column<string>(type: "TEXT", nullable: false),
                    SourceType = table.Column<string>(type: "TEXT", nullable: false),
                    OwnerOrg = table.Column<string>(type: "TEXT", nullable: true),
                    Frequency = table.Column<string>(type: "TEXT", nullable: false),
                    Config = table.Column<string>(type: "TEXT", nullable: true),
                    Notes = table.Column<string>(type: "TEXT", nullable: true),
                    State = table.Column<string>(type: "TEXT", nullable: false),
                    Created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Modified = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_harvest_source", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_harvest_job_SourceId_Created",
                table: "harvest_job",
                columns: new[] { "SourceId", "Created" });

            migrationBuilder.CreateIndex(
                name: "IX_harvest_job_Status",
                table: "harvest_job",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_harvest_object_JobId",
                table: "harvest_object",
                column: "JobId");

            migrationBuilder.CreateIndex(
                name: "IX_harvest_object_SourceId_Guid",
                table: "harvest_object",
                columns: new[] { "SourceId", "Guid" });

            migrationBuilder.CreateIndex(
                name: "IX_harvest_source_Name",
                table: "harvest_source",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "harvest_file");

            migrationBuilder.DropTable(
                name: "harvest_job");

            migrationBuilder.DropTable(
                name: "harvest_object");

            migrationBuilder.DropTable(
                name: "harvest_source");
        }
    }
}
